#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
typedef void (*sgemm_fn)(int,int,int,int,int,int,float,const float*,int,const float*,int,float,float*,int);
int main(int argc,char**argv){
  void*h=dlopen(argv[1],RTLD_NOW); sgemm_fn g=(sgemm_fn)dlsym(h,"cblas_sgemm");
  void(*st)(int)=dlsym(h,"openblas_set_num_threads"); st(atoi(argv[2]));
  int shapes[][3]={{1000,1024,784},{1000,1024,1024},{1000,10,1024},{513,300,77},{700,37,1500},{2000,64,784},{1,5,3},{33,1,9}};
  srand(7);
  for(int s=0;s<8;s++){int m=shapes[s][0],n=shapes[s][1],k=shapes[s][2];
    float*X=malloc(4L*m*k),*W=malloc(4L*n*k),*WT=malloc(4L*n*k),*XT=malloc(4L*m*k),*C1=malloc(4L*m*n),*C2=malloc(4L*m*n),*C3=malloc(4L*m*n);
    for(long i=0;i<(long)m*k;i++)X[i]=(rand()/(float)RAND_MAX-0.5f)*(i%3?1:0);
    for(long i=0;i<(long)n*k;i++)W[i]=(rand()/(float)RAND_MAX-0.5f)*0.1f;
    for(int i=0;i<m;i++)for(int j=0;j<k;j++)XT[(long)j*m+i]=X[(long)i*k+j];
    g(101,111,112,m,n,k,1.f,X,k,W,k,0.f,C1,n);      /* C1 = X W^T (m x n) */
    g(101,111,112,n,m,k,1.f,W,k,X,k,0.f,C2,m);      /* C2 = W X^T (n x m) */
    g(101,111,111,n,m,k,1.f,W,k,XT,m,0.f,C3,m);     /* C3 = W XT  (n x m), XT feature-major input */
    long d2=0,d3=0; for(int i=0;i<m;i++)for(int j=0;j<n;j++){ if(C1[(long)i*n+j]!=C2[(long)j*m+i])d2++; if(C1[(long)i*n+j]!=C3[(long)j*m+i])d3++; }
    printf("%dx%dx%d: W X^T differs in %ld, W XT(NN) differs in %ld of %ld\n",m,n,k,d2,d3,(long)m*n);
  }
}
