#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
typedef void (*sgemm_fn)(int,int,int,int,int,int,float,const float*,int,const float*,int,float,float*,int);
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(int argc,char**argv){
  void*h=dlopen(argv[1],RTLD_NOW); sgemm_fn g=(sgemm_fn)dlsym(h,"cblas_sgemm");
  void(*st)(int)=dlsym(h,"openblas_set_num_threads"); st(atoi(argv[2]));
  /* m n k ta tb  (row-major) */
  int sh[][5]={{256,1024,784,0,1},{1024,256,784,0,1},{256,1024,1024,0,1},{1024,256,1024,0,0},{256,256,784,0,1},{256,256,784,0,1},{256,64,784,0,1},{64,256,784,0,1},{512,1024,784,0,1},{1024,512,784,0,1},{512,1024,1024,0,1},{1024,512,1024,0,0},{512,256,784,0,1},{256,512,784,0,1},{512,64,784,0,1},{64,512,784,0,1},{2000,1024,784,0,1},{1024,2000,784,0,1},{2000,1024,1024,0,1},{1024,2000,1024,0,0},{2000,256,784,0,1},{256,2000,784,0,1},{2000,64,784,0,1},{64,2000,784,0,1}};
  int ns=sizeof sh/sizeof sh[0];
  float*A=malloc(4*2048*2048),*B=malloc(4*2048*2048),*C=malloc(4*2048*2048);
  for(int i=0;i<2048*2048;i++){A[i]=(i%7)*0.1f;B[i]=(i%5)*0.1f;C[i]=0;}
  enum{R=31}; double t[40][R];
  for(int r=0;r<R;r++) for(int s=0;s<ns;s++){
    int m=sh[s][0],n=sh[s][1],k=sh[s][2],ta=sh[s][3],tb=sh[s][4];
    int lda=ta?m:k, ldb=tb?k:n;
    double t0=now(); g(101,ta?112:111,tb?112:111,m,n,k,1.f,A,lda,B,ldb,0.f,C,n); t[s][r]=now()-t0;
  }
  for(int s=0;s<ns;s++){qsort(t[s],R,sizeof(double),cmp); double md=t[s][R/2];
    printf("%5dx%5dx%5d %c%c %8.0f us %6.1f GF/s\n",sh[s][0],sh[s][1],sh[s][2],sh[s][3]?'T':'N',sh[s][4]?'T':'N',md*1e6,2.0*sh[s][0]*sh[s][1]*sh[s][2]/md*1e-9);}
}
